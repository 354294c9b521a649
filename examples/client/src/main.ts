/**
 * Walks the console's screens against a running facade, e.g. the demo
 * (`npm start`): `node examples/client/src/main.ts http://localhost:4000/graphql`.
 */
import { Client } from './client.ts';
import { ClusterOverview, Login, Nodes, PodDetail, Projects, WorkspaceMembers, Workloads } from './operations.ts';

export async function tour(url: string, credentials = { username: 'admin', password: 'P@88w0rd' }, persisted = false) {
  const client = new Client({ url, persisted });
  const { login } = await client.request(Login, credentials);
  client.token = login.accessToken ?? undefined;

  const overview = await client.request(ClusterOverview);
  const nodes = await client.request(Nodes, { limit: 10 });
  const projects = await client.request(Projects, { limit: 10 });
  const workloads = await client.request(Workloads, { namespace: 'demo-app', limit: 10 });
  const members = await client.request(WorkspaceMembers, { workspace: 'demo-workspace' });
  return {
    client,
    overview,
    nodes,
    projects,
    workloads,
    members,
    podDetail: (namespace: string, name: string) => client.request(PodDetail, { namespace, name }),
  };
}

if (import.meta.main) {
  const url = process.argv[2] ?? 'http://localhost:4000/graphql';
  const { overview, nodes, projects, workloads, members } = await tour(url);
  // Lists are nullable: one failing field does not fail the query.
  console.log(`KubeSphere ${overview.version?.kubesphere.gitVersion}: ${overview.nodes?.totalItems} nodes, ${overview.pods?.totalItems} pods`);
  for (const node of nodes.nodes?.items ?? []) console.log(`node ${node.metadata.name} ${node.status} ${node.pods?.totalItems} pods`);
  console.log(`projects: ${projects.namespaces?.items.map((n) => n.metadata.name).join(', ')}`);
  for (const d of workloads.deployments?.items ?? []) console.log(`deployment ${d.metadata.name} ${d.readyReplicas}/${d.replicas} ${d.status}`);
  const people = members.workspace?.members?.items.map((m) => `${m.user.username} (${m.roleName})`);
  console.log(`members of ${members.workspace?.metadata.name}: ${people?.join(', ')}`);
}
