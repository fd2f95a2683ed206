export { createScriptedProvider } from './scripted-provider.js';
