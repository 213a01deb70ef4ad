import { describe, expect, it } from '@jest/globals';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns two spaces apart without trailing blanks', () => {
    expect(
      renderTable(
        ['UPN', 'ENABLED', 'X'],
        [
          ['alice@contoso.com', 'yes', ''],
          ['b', 'no', 'z'],
        ],
      ),
    ).toBe(
      'UPN                ENABLED  X\nalice@contoso.com  yes\nb                  no       z\n',
    );
  });
});
