import type { Command } from 'commander';
import { registerInfraCommands } from './infra.js';
import { registerSimulateCommand } from './simulate.js';

/** Each command module adds its sub-commands to the program. */
export type RegisterCommand = (program: Command) => void;

export const commandModules: readonly RegisterCommand[] = [registerInfraCommands, registerSimulateCommand];
