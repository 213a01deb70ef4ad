#!/usr/bin/env node
import { runSupportTools } from './program.js';

process.exitCode = await runSupportTools(process.argv);
