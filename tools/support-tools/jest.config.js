import { projectConfig } from '../testkit/jest-preset.js';

export default projectConfig('support-tools');
