import { runServiceProcess } from '@polluscope/common';
import { classificationValidation } from './service.js';

runServiceProcess(classificationValidation);
