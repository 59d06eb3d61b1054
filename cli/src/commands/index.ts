import type { Command } from 'commander';

/** Each command module adds its sub-commands to the program. */
export type RegisterCommand = (program: Command) => void;

export const commandModules: readonly RegisterCommand[] = [];
