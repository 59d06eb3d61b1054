import { runServiceProcess } from '@polluscope/common';
import { gpsPreprocessing } from './service.js';

runServiceProcess(gpsPreprocessing);
