import type { Metadata } from '@grpc/grpc-js';
import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../errors/domain-errors';
import { IS_PUBLIC, REQUIRED_ROLES } from './decorators';
import type { AuthUser, Role } from './roles';
import { InvalidTokenError, TokenVerifier } from './tokens';

/**
 * Global guard: every HTTP route and gRPC method needs a valid bearer token unless marked @Public();
 * @Roles narrows it further. The verified user is put on the request (for gRPC, on the call's Metadata
 * object, the only per-call object Nest hands out) for @CurrentUser(). Errors are mapped by the
 * ProblemDetailsFilter: 401/403 over HTTP, UNAUTHENTICATED/PERMISSION_DENIED over gRPC.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const rpc = ctx.getType() === 'rpc';
    const holder: { user?: AuthUser } = rpc ? ctx.switchToRpc().getContext() : ctx.switchToHttp().getRequest();
    const header = rpc
      ? String((holder as Metadata).get('authorization')[0] ?? '')
      : ctx.switchToHttp().getRequest().headers.authorization;

    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new UnauthorizedException('a bearer token is required');
    try {
      holder.user = await this.verifier.verify(token);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new UnauthorizedException(`invalid token: ${err.message}`);
      throw err;
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles?.length && !holder.user.roles.some((r) => roles.includes(r))) {
      throw new ForbiddenError(`requires one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
