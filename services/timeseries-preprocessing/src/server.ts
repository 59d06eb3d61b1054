import { runServiceProcess } from '@polluscope/common';
import { timeseriesPreprocessing } from './service.js';

runServiceProcess(timeseriesPreprocessing);
