import { runServiceProcess } from '@polluscope/common';
import { postprocessing } from './service.js';

runServiceProcess(postprocessing);
