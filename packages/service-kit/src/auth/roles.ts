// Plain types and rules, no Nest: application code checks branch access with them too.
import { ForbiddenError } from '../errors/domain-errors';

/** The roles of DOMAIN.md "People (roles)", exactly. */
export const ROLES = [
  'clerk',
  'director',
  'technician',
  'accountant',
  'manager',
  'service-dept',
  'deputy-gm',
  'integrator',
] as const;
export type Role = (typeof ROLES)[number];

/** Head-office roles see every branch; everyone else only their own. */
export const HEAD_OFFICE_ROLES: readonly Role[] = ['service-dept', 'deputy-gm', 'integrator'];

/** The authenticated caller, from the token's claims. */
export interface AuthUser {
  sub: string;
  name: string;
  roles: Role[];
  branchId: string;
}

export const isHeadOffice = (user: AuthUser): boolean => user.roles.some((r) => HEAD_OFFICE_ROLES.includes(r));

/** Throws 403 unless the caller may see records of `branchId`. */
export function assertBranchAccess(user: AuthUser, branchId: string): void {
  if (isHeadOffice(user) || user.branchId === branchId) return;
  throw new ForbiddenError(`branch ${branchId} is not accessible to a user of branch ${user.branchId}`);
}
