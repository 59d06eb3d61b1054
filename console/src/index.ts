export * from './day/types.js';
export { buildParticipantDay } from './day/build-participant-day.js';
export { summariseParticipants } from './day/summarise-participants.js';
export { buildConsoleApp, type ConsoleAppOptions } from './server/app.js';
export { loadConsoleConfig, ConsoleConfigError, type ConsoleConfig } from './server/config.js';
export { startConsole, PAGES_DIR } from './server/server.js';
export { WarehouseReader, type ConsoleWarehouse, type ParticipantDayRows } from './server/warehouse-reader.js';
