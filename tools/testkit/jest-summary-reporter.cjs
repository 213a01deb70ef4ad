// Prints "Summary: N passed, N failed, N skipped" as the very last line of a jest run.
// Skipped counts pending, skipped and todo tests, and every test of a suite that was skipped
// on purpose; a suite that failed to run counts as one failure. Just before it, one line per
// test file that skipped anything, so a skip is never only a number at the end of the run.
const { relative } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const skippedFiles = results.testResults
      .filter((r) => r.numPendingTests + r.numTodoTests > 0)
      .map((r) => {
        const n = r.numPendingTests + r.numTodoTests;
        return `Skipped: ${n} test${n === 1 ? '' : 's'} in ${relative(process.cwd(), r.testFilePath)}`;
      });
    process.once('exit', () => {
      const lines = [
        ...skippedFiles,
        `Summary: ${passed} passed, ${failed} failed, ${skipped} skipped`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  }
}
module.exports = SummaryReporter;
