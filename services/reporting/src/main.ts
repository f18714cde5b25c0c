import 'reflect-metadata';
import { grpcOptions } from '@aftersales/contracts/grpc';
import { bootstrapService } from '@aftersales/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, { name: 'reporting', grpc: grpcOptions('aftersales.reporting.v1') });
