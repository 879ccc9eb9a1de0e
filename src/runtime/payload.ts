import { ReplayUsageError } from "../errors.js";
import type { ReplayOptions } from "../types.js";

/** Serializes the payload like a trigger body: strings as-is, everything else as JSON. */
export function serializePayload(payload: unknown): string | undefined {
  if (payload === undefined) return undefined;
  if (typeof payload === "string") return payload;
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    throw new ReplayUsageError(
      `Failed to serialize the payload: ${(error as Error).message}. QStash sends the payload as JSON; pass a JSON-serializable value or a string.`,
    );
  }
  if (text === undefined) {
    throw new ReplayUsageError(
      `Failed to serialize the payload: a ${typeof payload} has no JSON form. Pass a JSON-serializable value or a string.`,
    );
  }
  return text;
}

/** The SDK's default payload parser (with `schema` / `initialPayloadParser` like `serve()`). */
export function payloadParser(options: Pick<ReplayOptions, "schema" | "initialPayloadParser">): (raw: string) => unknown {
  if (options.initialPayloadParser) {
    const parser = options.initialPayloadParser;
    return (raw) => parser(raw);
  }
  const schema = options.schema;
  return (raw) => {
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as unknown;
      return schema ? schema.parse(parsed) : parsed;
    } catch (error) {
      if (error instanceof SyntaxError) return raw;
      throw error;
    }
  };
}
