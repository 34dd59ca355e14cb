/** Names shared by the global setup and the per-file harness. */
export const TEMPLATE_ENV = 'BOTCAFE_TEST_TEMPLATE_DB';
export const SNAPSHOT_ENV = 'BOTCAFE_TEST_SNAPSHOT';

export function assertTestDatabase(name: string): void {
  if (!name.includes('test'))
    throw new Error(`Refusing to use database "${name}": test databases must have "test" in their name.`);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function randomSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
