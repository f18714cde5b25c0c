import { createZodDto, createZodValidationPipe } from 'nestjs-zod';
import { ValidationError, type FieldError } from './domain-errors';

/**
 * DTOs are zod schemas: `class RegisterCallDto extends createZodDto(registerCallSchema) {}` gives the
 * handler a typed body, validation by the global pipe and a schema in the OpenAPI document.
 */
export { createZodDto };

interface IssueLike {
  path: PropertyKey[];
  message: string;
}

/** zod issues → `[{ field: 'customer.phone', message }]`, the shape problem responses carry. */
export function fieldErrors(error: unknown): FieldError[] {
  const issues = (error as { issues?: IssueLike[] } | undefined)?.issues ?? [];
  return issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}

/**
 * Validates every parameter typed with a zod DTO; failures become the domain ValidationError so that
 * HTTP input and domain rules produce the same problem response.
 */
export const ZodValidationPipe = createZodValidationPipe({
  createValidationException: (error) => new ValidationError('The request is invalid.', fieldErrors(error)),
});
