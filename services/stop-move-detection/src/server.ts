import { runServiceProcess } from '@polluscope/common';
import { stopMoveDetection } from './service.js';

runServiceProcess(stopMoveDetection);
