// Data source for the TypeORM CLI (`npm run migration:generate -- src/database/migrations/Name`).
// Needs DATABASE_URL: for the embedded database, start the server and use the URL it logs.
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source';

if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL for the TypeORM CLI');
export default new DataSource(dataSourceOptions({ url: process.env.DATABASE_URL }));
