import { anthropic, custom, openai, resend } from "@upstash/qstash";
import { WorkflowError, type CallResponse } from "@upstash/workflow";

interface Provider {
  owner: string;
  baseUrl: string;
  token: string;
  apiKind: string;
  method: string;
  getUrl(): string;
  getHeaders(options: Record<string, unknown>): Record<string, string>;
}

interface CallableContext {
  call<T>(stepName: string, settings: {
    url: string;
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    retries?: number;
    retryDelay?: string;
    timeout?: unknown;
  }): Promise<CallResponse<T>>;
}

interface ApiCallSettings {
  body?: unknown;
  headers?: Record<string, string>;
  method?: string;
  retries?: number;
  retryDelay?: string;
  timeout?: unknown;
  [key: string]: unknown;
}

/** The SDK's `BaseWorkflowApi.callApi`: provider URL and headers, then a plain `context.call`. */
async function callApi<T>(context: CallableContext, stepName: string, name: string, provider: Provider, settings: ApiCallSettings) {
  if (!provider) throw new WorkflowError("A Provider must be provided.");
  if (provider.owner === "upstash") throw new WorkflowError("Upstash provider isn't supported.");
  if (!provider.baseUrl) throw new TypeError("baseUrl cannot be empty or undefined!");
  if (!provider.token) throw new TypeError("token cannot be empty or undefined!");
  if (provider.apiKind !== name) throw new TypeError(`Unexpected api name. Expected '${provider.apiKind}', received ${name}`);
  const { method: userMethod, body, headers = {}, retries = 0, retryDelay, timeout, ...parameters } = settings;
  const appendHeaders = provider.getHeaders(parameters);
  return context.call<T>(stepName, {
    url: provider.getUrl(),
    method: userMethod ?? provider.method,
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { ...appendHeaders, ...headers },
    retries,
    retryDelay,
    timeout,
  });
}

/** `context.api`: openai, anthropic and resend calls, built exactly like the SDK builds them. */
export interface MockWorkflowApi {
  openai: { call<T = unknown>(stepName: string, settings: { token: string; organization?: string; baseURL?: string; operation: string } & ApiCallSettings): Promise<CallResponse<T>> };
  anthropic: { call<T = unknown>(stepName: string, settings: { token: string; operation: string } & ApiCallSettings): Promise<CallResponse<T>> };
  resend: { call<T = unknown>(stepName: string, settings: { token: string; batch?: boolean } & ApiCallSettings): Promise<CallResponse<T>> };
}

export function createApi(context: CallableContext): MockWorkflowApi {
  return {
    openai: {
      call(stepName, settings) {
        const { token, organization, operation: _operation, baseURL, ...rest } = settings;
        const provider = (baseURL === undefined ? openai({ token, organization }) : custom({ baseUrl: baseURL, token })) as unknown as Provider;
        return callApi(context, stepName, "llm", provider, rest);
      },
    },
    anthropic: {
      call(stepName, settings) {
        const { token, operation: _operation, ...rest } = settings;
        return callApi(context, stepName, "llm", anthropic({ token }) as unknown as Provider, rest);
      },
    },
    resend: {
      call(stepName, settings) {
        const { token, batch = false, ...rest } = settings;
        return callApi(context, stepName, "email", resend({ token, batch }) as unknown as Provider, rest);
      },
    },
  };
}
