import type { IncomingMessage } from 'node:http';
import {
  Controller,
  Headers,
  Param,
  PayloadTooLargeException,
  Post,
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { BranchDirectory, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { ValidationError } from '@aftersales/service-kit/domain-errors';
import { checkBranch } from '../../shared/http';
import { ImportInstalledBaseService } from '../application/import-installed-base.service';
import { rowsFromCsv, rowsFromJson } from './installed-base.parsing';

/** 20,000 rows of ~150 bytes with room to spare; beyond it → 413. */
const MAX_CSV_BYTES = 8 * 1024 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The CSV body is read here: the app's global parsers handle only JSON and forms. */
async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.destroy();
      throw new PayloadTooLargeException(`The file is larger than ${limit} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

@Controller('branches/:branchId/customers/import')
export class CustomerImportController {
  constructor(
    private readonly imports: ImportInstalledBaseService,
    private readonly branches: BranchDirectory,
  ) {}

  /**
   * Bulk import of an installed base, all or nothing. `text/csv` (header
   * name,phone,address,postalCode,model,serial,purchaseDate,warrantyEndsOn; errors name the file's line,
   * header = 1) or `application/json` `{ rows: [...] }` (rows numbered from 1). Optional `Idempotency-Key`:
   * posting the same file with the same key again returns the first result and imports nothing twice.
   */
  @Post()
  @Roles('clerk', 'service-dept')
  async import(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Req() req: IncomingMessage & { body?: unknown },
    @Headers('content-type') contentType: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ) {
    checkBranch(this.branches, user, branchId);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationError('The request is invalid.', [
        { field: 'Idempotency-Key', message: 'must be 1-100 letters, digits or _ . : -' },
      ]);
    }
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    let rows;
    if (type === 'text/csv') rows = await rowsFromCsv(await readText(req, MAX_CSV_BYTES));
    else if (type === 'application/json') rows = rowsFromJson(req.body);
    else throw new UnsupportedMediaTypeException('Send text/csv or application/json.');
    return this.imports.import(branchId, rows, { idempotencyKey, requestedBy: user.sub });
  }
}
