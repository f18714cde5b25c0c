import { Injectable } from '@nestjs/common';

/** Resolves when the dependency is usable, rejects (with a reason) when it is not. */
export type ReadinessCheck = () => Promise<void>;

/**
 * What /health/ready runs. Each module that owns a dependency registers a check that really talks to it
 * (Mongo ping, broker channel), so "ready" means the service can do its work, not merely that it is up.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  entries(): Array<[string, ReadinessCheck]> {
    return [...this.checks.entries()];
  }
}
