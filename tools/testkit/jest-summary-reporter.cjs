// Prints "Summary: N passed, N failed, N skipped" as the very last line of a jest run.
// Skipped counts pending, skipped and todo tests, and every test of a suite that was skipped
// on purpose; a suite that failed to run counts as one failure.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.once('exit', () => {
      process.stdout.write(`Summary: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    });
  }
}
module.exports = SummaryReporter;
