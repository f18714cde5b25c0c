import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { compact, nativeCollection, withoutNulls } from '../../shared/mongo';
import type { Technician } from '../domain/technician';
import { TechnicianRepository } from '../application/ports';

type TechnicianDocument = Omit<Technician, 'id'> & { _id: string };

const toDocument = ({ id, ...rest }: Technician): TechnicianDocument => compact({ ...rest, _id: id });
const toTechnician = ({ _id, ...rest }: TechnicianDocument): Technician => withoutNulls({ ...rest, id: _id });

/** The roster raises no events (none in the catalogue), so plain single-document writes are enough. */
@Injectable()
export class MongoTechnicianRepository extends TechnicianRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {
    super();
  }

  private collection(): Promise<Collection<TechnicianDocument>> {
    return nativeCollection<TechnicianDocument>(this.connection, 'technicians');
  }

  async get(id: string): Promise<Technician | null> {
    const doc = await (await this.collection()).findOne({ _id: id });
    return doc ? toTechnician(doc) : null;
  }

  async insert(t: Technician): Promise<'saved' | 'duplicate'> {
    try {
      await (await this.collection()).insertOne(toDocument(t));
      return 'saved';
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'duplicate';
      throw err;
    }
  }

  async update(t: Technician): Promise<void> {
    const { _id, ...fields } = toDocument(t);
    await (await this.collection()).updateOne({ _id: t.id }, { $set: fields });
  }

  async listByBranch(branchId: string, filter: { active?: boolean }): Promise<Technician[]> {
    const query = { branchId, ...(filter.active === undefined ? {} : { active: filter.active }) };
    return (await (await this.collection()).find(query, { sort: { name: 1 } }).toArray()).map(toTechnician);
  }
}
