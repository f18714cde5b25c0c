import 'reflect-metadata';
import { bootstrapService } from '@aftersales/service-kit';
import { AppModule } from './app.module';

void bootstrapService(AppModule, { name: 'dispatch' });
