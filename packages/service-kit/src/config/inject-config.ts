import { Inject } from '@nestjs/common';
import { SERVICE_CONFIG } from '../tokens';

/** `constructor(@InjectConfig() config: BillingConfig)`: the validated config of the service. */
export const InjectConfig = () => Inject(SERVICE_CONFIG);
