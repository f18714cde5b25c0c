import 'reflect-metadata';
import { bootstrapService } from '@aftersales/service-kit';
import { AppModule } from './app.module';
import { billingGrpcOptions } from './grpc';

void bootstrapService(AppModule, { name: 'billing', grpc: billingGrpcOptions() });
