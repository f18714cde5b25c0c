import { createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import type { AuthUser, Role } from './roles';

export const IS_PUBLIC = 'aftersales:public';
export const REQUIRED_ROLES = 'aftersales:roles';

/** No token needed (health, metrics, docs). Everything else is authenticated by default. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only callers holding at least one of these roles; on a controller or a handler (the handler wins). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The authenticated caller, as verified by the global guard. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.getType() === 'http' ? ctx.switchToHttp().getRequest().user : ctx.switchToRpc().getContext()?.user;
  // Reaching here without a user means the handler is @Public() yet asks for one: a programming error.
  if (!user) throw new UnauthorizedException('no authenticated user');
  return user as AuthUser;
});
