// A GraphQL-over-WebSocket server of the real libraries: graphql 16 with graphql-ws 5's
// `useServer` (subprotocol graphql-transport-ws), or with --legacy subscriptions-transport-ws's
// SubscriptionServer (subprotocol graphql-ws). Listens on 127.0.0.1, port 0; prints the port.
// Usage: node graphql_server.js [--legacy] [--token T] [--interval MS]
//   type Query { hello: String }
//   type Subscription { count(to: Int!): Int!, failing: Int! }
// count emits 1..to (one every MS, default 30); failing throws. With --token, connection_init
// must carry {"token": T} (else 4403 / connection_error); the ack payload is {"user": "tester"}.
const http = require('http');
const {
  GraphQLSchema, GraphQLObjectType, GraphQLString, GraphQLInt, GraphQLNonNull, execute, subscribe,
} = require('graphql');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const legacy = args.includes('--legacy');
const token = option('--token', null);
const interval = Number(option('--interval', '30'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { hello: { type: GraphQLString, resolve: () => 'world' } },
  }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      count: {
        type: new GraphQLNonNull(GraphQLInt),
        args: { to: { type: new GraphQLNonNull(GraphQLInt) } },
        subscribe: async function* countUp(_, { to }) {
          for (let i = 1; i <= to; i++) {
            await sleep(interval);
            yield { count: i };
          }
        },
      },
      failing: {
        type: new GraphQLNonNull(GraphQLInt),
        subscribe: () => { throw new Error('failing on purpose'); },
      },
    },
  }),
});

const allowed = (params) => !token || (params && params.token === token);
const httpServer = http.createServer();

if (legacy) {
  const { SubscriptionServer } = require('subscriptions-transport-ws');
  SubscriptionServer.create({
    schema, execute, subscribe, keepAlive: 1000,
    onConnect: (params) => {
      if (!allowed(params)) throw new Error('Forbidden: bad token');
      return { user: 'tester' };
    },
  }, { server: httpServer, path: '/graphql' });
} else {
  const { WebSocketServer } = require('ws');
  const { useServer } = require('graphql-ws/lib/use/ws');
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  useServer({
    schema,
    onConnect: (ctx) => (allowed(ctx.connectionParams) ? { user: 'tester' } : false),
  }, wss);
}

httpServer.listen(0, '127.0.0.1', () => console.log(httpServer.address().port));
process.stdin.on('end', () => process.exit(0)); // the test closes our stdin (or kills us)
process.stdin.resume();
