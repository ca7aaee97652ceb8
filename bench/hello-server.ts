import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** The ceiling: a bare Hono app on the product's server stack (@hono/node-server), nothing else. */
const app = new Hono();
app.get('/', (c) => c.text('Hello world'));

const port = Number(process.env.PORT ?? 3999);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`listening ${port}`));
