import type { Command } from 'commander';
import { registerInfraCommands, registerServicesCommands } from './infra.js';
import { registerSimulateCommand } from './simulate.js';
import { registerSensorCommands } from './sensors.js';
import { registerGpsCommands } from './gps.js';
import { registerDemoCommand } from './demo.js';
import { registerBenchCommand } from './bench.js';
import { registerExportLabelsCommand } from './export-labels.js';
import { registerLoadCsvCommand } from './load-csv.js';
import { registerOperationsCommands } from './operations.js';
import { registerTimelineCommands } from './timeline.js';
import { registerEvaluateCommand } from './evaluate.js';
import { registerEraseCommand } from './erase.js';
import { registerReviewersCommands } from './reviewers.js';
import { registerConsoleCommands } from './console.js';

/** Each command module adds its sub-commands to the program. */
export type RegisterCommand = (program: Command) => void;

export const commandModules: readonly RegisterCommand[] = [
  registerInfraCommands,
  registerServicesCommands,
  registerSimulateCommand,
  registerSensorCommands,
  registerGpsCommands,
  registerDemoCommand,
  registerBenchCommand,
  registerLoadCsvCommand,
  registerExportLabelsCommand,
  registerEraseCommand,
  registerTimelineCommands,
  registerEvaluateCommand,
  registerReviewersCommands,
  registerOperationsCommands,
  registerConsoleCommands,
];
