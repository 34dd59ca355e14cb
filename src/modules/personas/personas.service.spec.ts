import { prefixTsQuery } from './personas.service.js';

describe('prefixTsQuery', () => {
  it('turns words into prefix terms and drops tsquery syntax', () => {
    expect(prefixTsQuery('Captain  ash')).toBe('captain:* & ash:*');
    expect(prefixTsQuery("a|b & !c:* 'd'")).toBe('a:* & b:* & c:* & d:*');
    expect(prefixTsQuery('Zoë 42')).toBe('zoë:* & 42:*');
    expect(prefixTsQuery('&|!')).toBeNull();
    expect(prefixTsQuery(undefined)).toBeNull();
  });
});
