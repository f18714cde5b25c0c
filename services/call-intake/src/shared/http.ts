import { BranchDirectory, assertBranchAccess, type AuthUser } from '@aftersales/service-kit';
import { ValidationError } from '@aftersales/service-kit/domain-errors';
import { z } from 'zod';

/** Free text with an upper bound, so no field can carry a huge payload. */
export const text = (max = 200) => z.string().trim().min(1).max(max);
export const Phone = z.string().regex(/^\+?[0-9][0-9 ()-]{5,19}$/, 'not a phone number');
export const PostalCode = z.string().regex(/^[0-9A-Za-z -]{3,10}$/, 'not a postal code');
export const LocalDate = z.iso.date();
export const IdParam = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not an id');

export const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

/**
 * The branch in the path must exist (400 naming `branchId`, as any other bad input) and be the caller's
 * own unless they are head office (403).
 */
export function checkBranch(branches: BranchDirectory, user: AuthUser, branchId: string): void {
  if (!branches.has(branchId)) {
    throw new ValidationError('The request is invalid.', [
      { field: 'branchId', message: `unknown branch "${branchId}"` },
    ]);
  }
  assertBranchAccess(user, branchId);
}
