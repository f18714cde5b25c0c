import 'reflect-metadata';
import { grpcOptions } from '@aftersales/contracts/grpc';
import { bootstrapService } from '@aftersales/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, { name: 'call-intake', grpc: grpcOptions('aftersales.intake.v1') });
