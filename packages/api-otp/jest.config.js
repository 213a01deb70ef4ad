import { projectConfig } from '../../tools/testkit/jest-preset.js';

export default projectConfig('api-otp');
