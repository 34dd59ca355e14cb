/**
 * The typed-client check (npm run openapi:client): openapi-typescript turns openapi.json into botcafe-api.d.ts
 * (generated, not committed), and this file must type-check against it. It is the smallest typed client a
 * front end would write: path, method, request body and success body all come from the document, so a response
 * DTO without a schema, or a route the document misses, shows up here as a compile error.
 */
import type { components, paths } from './botcafe-api.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation = { responses: object };
type OperationAt<P extends keyof paths, M extends Method> = paths[P][M] extends Operation ? paths[P][M] : never;
/** Paths that have the given method. */
type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends Operation ? P : never;
}[keyof paths];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
type SuccessBody<O> = O extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202 | 204>]> : never;
type RequestBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : undefined;

export type Problem = components['schemas']['Problem'];

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.title}`);
  }
}

/** One typed call: `call(base, 'get', '/health/ready', {})`. */
export async function call<M extends Method, P extends PathsWith<M>>(
  baseUrl: string,
  method: M,
  path: P,
  init: { token?: string; body?: RequestBody<OperationAt<P, M>> },
): Promise<SuccessBody<OperationAt<P, M>>> {
  const res = await fetch(`${baseUrl}${String(path)}`, {
    method: method.toUpperCase(),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new ApiError((await res.json()) as Problem);
  return (res.status === 204 ? undefined : await res.json()) as SuccessBody<OperationAt<P, M>>;
}

// Uses that must keep compiling (the probes exist from the first commit on).
export async function probe(baseUrl: string): Promise<string | undefined> {
  const ready = await call(baseUrl, 'get', '/health/ready', {});
  await call(baseUrl, 'get', '/health/live', {});
  return ready.status;
}

export const notFound: Problem = { type: 'about:blank', title: 'Not Found', status: 404, code: 'BOT_NOT_FOUND' };

// Identity routes, checked once they are in the document (before that, each line below checks `never`): the
// request and response schemas must be real object types, i.e. the Swagger plugin saw the DTOs.
type At<P extends string, M extends Method> = P extends PathsWith<M> ? OperationAt<P, M> : never;
type Holds<T, Shape> = [T] extends [never] ? true : T extends Shape ? true : false;
type LoginOp = At<'/api/v1/auth/login', 'post'>;
type RegisterOp = At<'/api/v1/auth/register', 'post'>;
type MeOp = At<'/api/v1/users/me', 'get'>;
export const identityTypes: [
  Holds<RequestBody<LoginOp>, { email: string; password: string }>,
  Holds<SuccessBody<LoginOp>, { access_token: string; refresh_token: string }>,
  Holds<RequestBody<RegisterOp>, { email: string; password: string }>,
  Holds<SuccessBody<MeOp>, { id: string; email: string }>,
] = [true, true, true, true];
