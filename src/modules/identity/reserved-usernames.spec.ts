import {
  isReservedUsername,
  RESERVED_USERNAMES,
  USERNAME_PATTERN,
  usernameFromEmail,
  usernameProblem,
} from './reserved-usernames.js';

describe('username rules', () => {
  it('lists every reserved handle of the spec', () => {
    for (const name of ['api', 'admin', 'explore', 'creators', 'me', 'new', 'edit', 'backrooms', 'legal']) {
      expect(RESERVED_USERNAMES.has(name)).toBe(true);
    }
    expect(RESERVED_USERNAMES.size).toBe(23);
  });

  it('compares reserved handles case-insensitively', () => {
    expect(isReservedUsername('Explore')).toBe(true);
    expect(isReservedUsername('explorer')).toBe(false);
  });

  it.each(['abc', 'a_b-c', '0day', 'x'.repeat(30)])('accepts %s', (name) => {
    expect(usernameProblem(name)).toBeNull();
  });

  it.each(['ab', '_abc', '-abc', 'ABC', 'a b c', 'x'.repeat(31), 'al.ice', 'émile'])('refuses %s', (name) => {
    expect(usernameProblem(name)).toMatch(/3-30 characters/);
  });

  it('refuses reserved handles', () => {
    expect(usernameProblem('explore')).toBe('username is reserved');
  });

  it('derives a valid handle from an email local part plus four digits', () => {
    expect(usernameFromEmail('John.Doe+tag@example.com', () => '0042')).toBe('john_doe_tag0042');
    expect(usernameFromEmail('__x@example.com', () => '1234')).toBe('x1234');
    expect(usernameFromEmail('...@example.com', () => '1234')).toBe('user1234');
    expect(usernameFromEmail('me@example.com', () => '0007')).toBe('me0007');
    const long = usernameFromEmail(`${'a'.repeat(80)}@example.com`);
    expect(long).toHaveLength(30);
    for (const email of ['a@b.c', 'Ünïcödé@x.y', '-_-@x.y', 'q@x.y']) {
      expect(usernameFromEmail(email)).toMatch(USERNAME_PATTERN);
    }
  });
});
