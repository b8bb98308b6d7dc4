import { Module } from '@nestjs/common';
import { SecretBox } from './secret-box';

/** The one SecretBox of the app (its key is loaded once). */
@Module({ providers: [SecretBox], exports: [SecretBox] })
export class SecretBoxModule {}
