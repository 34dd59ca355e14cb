import { LlmProvider } from './api-keys.enums.js';
import { extraHeaderProblems, scrubProviderText, upstreamBaseUrl, upstreamHeaders } from './upstream.js';

describe('upstream helpers', () => {
  it('validates extra_headers (api-keys.md §2)', () => {
    expect(extraHeaderProblems({ 'X-Team': 'blue' })).toEqual([]);
    expect(extraHeaderProblems({ authorization: 'x' })).toHaveLength(1);
    expect(extraHeaderProblems({ 'X-Api-Key': 'x' })).toHaveLength(1);
    expect(extraHeaderProblems({ 'X-A': 5 })).toHaveLength(1);
    expect(extraHeaderProblems({ 'X-A': 'a\r\nb' })).toHaveLength(1);
    expect(extraHeaderProblems({ 'bad name': 'x' })).toHaveLength(1);
    expect(extraHeaderProblems(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-${i}`, 'v'])))).toHaveLength(
      1,
    );
    expect(extraHeaderProblems([])).toEqual(['must be an object']);
  });

  it('builds headers: extra headers never override auth or provider headers', () => {
    const headers = upstreamHeaders(
      {
        provider: LlmProvider.OpenAi,
        openaiOrganization: 'org',
        openaiProject: null,
        extraHeaders: { 'OpenAI-Organization': 'evil', 'X-Team': 'blue' },
      },
      'sk-secret',
    );
    expect(headers.authorization).toBe('Bearer sk-secret');
    expect(headers['openai-organization']).toBe('org');
    expect(headers['OpenAI-Organization']).toBeUndefined();
    expect(headers['X-Team']).toBe('blue');
  });

  it('adds config-derived provider headers that extra_headers cannot override', () => {
    const headers = upstreamHeaders(
      {
        provider: LlmProvider.OpenRouter,
        openaiOrganization: null,
        openaiProject: null,
        extraHeaders: { 'X-Title': 'x' },
      },
      'sk-or-secret',
      'text/event-stream',
      { 'x-title': 'BotCafe', 'http-referer': 'https://botcafe.example' },
    );
    expect(headers).toMatchObject({
      'x-title': 'BotCafe',
      accept: 'text/event-stream',
      authorization: 'Bearer sk-or-secret',
    });
    expect(headers['X-Title']).toBeUndefined();
  });

  it('resolves base URLs and scrubs provider text', () => {
    expect(upstreamBaseUrl({ provider: LlmProvider.DeepSeek, baseUrl: null }, {}).url).toBe(
      'https://api.deepseek.com/v1',
    );
    expect(
      upstreamBaseUrl({ provider: LlmProvider.OpenAi, baseUrl: null }, { openai: 'http://127.0.0.1:9/v1/' }),
    ).toEqual({
      url: 'http://127.0.0.1:9/v1',
      userSupplied: false,
    });
    expect(upstreamBaseUrl({ provider: LlmProvider.Custom, baseUrl: 'https://x.test/v1' }, {}).userSupplied).toBe(true);
    const scrubbed = scrubProviderText(
      'bad key my-secret-value and sk-abcdef123456 ' + 'x'.repeat(600),
      'my-secret-value',
    );
    expect(scrubbed).not.toContain('my-secret-value');
    expect(scrubbed).not.toContain('sk-abcdef123456');
    expect(scrubbed.length).toBe(500);
  });
});
