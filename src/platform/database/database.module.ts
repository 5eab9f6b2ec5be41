import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service.js';
import { TransactionHost } from './transaction.js';

/**
 * Database access for every context: the Prisma client and the TransactionHost, so that one
 * command is one transaction and everything it calls (repositories, the outbox writer, other
 * contexts' commands sent on the bus, integration-event listeners) joins it.
 */
@Global()
@Module({
  providers: [PrismaService, TransactionHost],
  exports: [PrismaService, TransactionHost],
})
export class DatabaseModule {}
