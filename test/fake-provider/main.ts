import { FAKE_API_KEY, startFakeProvider } from './fake-provider.js';

/**
 * `npm run dev:fake-provider`: the test fake as a standalone OpenAI-compatible server for local trials.
 * FAKE_PROVIDER_PORT picks the port (default: random), FAKE_PROVIDER_API_KEY the accepted bearer.
 */
const port = process.env.FAKE_PROVIDER_PORT ? Number(process.env.FAKE_PROVIDER_PORT) : 0;
const apiKey = process.env.FAKE_PROVIDER_API_KEY ?? FAKE_API_KEY;
const fake = await startFakeProvider({ port, apiKey });
console.log(`Fake OpenAI-compatible provider listening on ${fake.baseUrl}`);
console.log(`API key: ${fake.apiKey}`);
console.log(
  `Create a key with {"provider":"custom","base_url":"${fake.baseUrl}","secret":"${fake.apiKey}","model_preferences":["fake-model"]} (needs LLM_ALLOW_INSECURE_LOCAL_PROVIDERS=true).`,
);
const stop = () => {
  setTimeout(() => process.exit(0), 1000).unref();
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
