export * from './csv-io.js';
export { buildProgram, main } from './main.js';
