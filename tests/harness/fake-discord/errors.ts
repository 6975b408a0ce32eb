/** What a route handler answers: a status, an optional JSON body and extra headers. */
export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FieldError {
  code: string;
  message: string;
}

/** Discord's nested `errors` object: keys are field names or array indexes, leaves are `{ _errors: [...] }`. */
export type ErrorTree = { [key: string]: ErrorTree | FieldError[] };

/** Thrown by handlers; turned into Discord's `{ code, message, errors? }` error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: ErrorTree,
  ) {
    super(message);
  }

  toResponse(): ApiResponse {
    const body: Record<string, unknown> = { message: this.message, code: this.code };
    if (this.errors) body['errors'] = this.errors;
    return { status: this.status, body };
  }
}

// The codes and texts below are the ones Discord actually returns, so bots can branch on them.
export const errors = {
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed'),
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  wrongChannelType: () => new ApiError(400, 50024, 'Cannot execute action on this channel type'),
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
  invalidFormBody: (tree: ErrorTree) => new ApiError(400, 50035, 'Invalid Form Body', tree),
  invalidJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
  threadAlreadyExists: () => new ApiError(400, 160004, 'A thread has already been created for this message'),
};
