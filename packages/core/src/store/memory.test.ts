import { describeUserStoreContract } from '@securemfa/testkit';
import { MemoryStore } from './memory.js';

describeUserStoreContract('memory', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});
