/**
 * The deployment, checked without a cluster or a Docker engine: k8s/validate.sh renders every overlay with
 * kustomize, validates every object against the Kubernetes API schemas (kubeconform -strict), loads the compose
 * file and lints the Dockerfile. Then this file checks what the schemas cannot: the hardening, probes, secrets and
 * network rules the issue asks for, and that each validator really rejects broken input.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const VALIDATE = path.join(ROOT, 'k8s/validate.sh');

const SERVICES = {
  'call-intake': { port: 3001, grpc: 50051, db: 'call_intake' },
  dispatch: { port: 3002, grpc: undefined, db: 'dispatch' },
  'repair-shop': { port: 3003, grpc: undefined, db: 'repair_shop' },
  billing: { port: 3004, grpc: 50054, db: 'billing' },
  reporting: { port: 3005, grpc: 50055, db: 'reporting' },
  'customer-feedback': { port: 3006, grpc: undefined, db: 'customer_feedback' },
} as const;
type Service = keyof typeof SERVICES;
const NAMES = Object.keys(SERVICES) as Service[];

// Per service: ServiceAccount, ConfigMap, Deployment, Service, PDB, HPA, 2 NetworkPolicies, MongoDBCommunity,
// RabbitMQ User + Permission + TopicPermission. Shared: Namespace, 2 ConfigMaps, RabbitmqCluster, Vhost,
// 5 NetworkPolicies, Ingress. Dev adds its generated Secrets: 6 MongoDB passwords and the auth dev secret.
const PER_SERVICE = 12;
const SHARED = 11;
const EXPECTED = { dev: NAMES.length * PER_SERVICE + SHARED + 7, prod: NAMES.length * PER_SERVICE + SHARED };
type Overlay = keyof typeof EXPECTED;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  automountServiceAccountToken?: boolean;
}

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('bash', [VALIDATE, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftersales-deploy-'));
let validation: ReturnType<typeof run>;
const rendered: Partial<Record<Overlay, K8sObject[]>> = {};

beforeAll(() => {
  // First run on a fresh machine builds the tools (minutes); later runs take seconds.
  validation = run([], { VALIDATE_OUT: outDir });
  for (const overlay of Object.keys(EXPECTED) as Overlay[]) {
    const file = path.join(outDir, `${overlay}.yaml`);
    if (!fs.existsSync(file)) continue;
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    rendered[overlay] = docs.map((d) => {
      if (d.errors.length) throw new Error(`${overlay}: ${d.errors[0].message}`);
      return d.toJS() as K8sObject;
    });
  }
}, 30 * 60_000);

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

const objects = (overlay: Overlay) => {
  const list = rendered[overlay];
  if (!list) throw new Error(`overlay ${overlay} was not rendered:\n${validation.out}`);
  return list;
};
const find = (overlay: Overlay, kind: string, name: string) => {
  const o = objects(overlay).find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${overlay}: no ${kind} ${name}`);
  return o;
};

describe('k8s/validate.sh', () => {
  it('renders every overlay, validates every object, parses the compose file and lints the Dockerfile', () => {
    if (validation.status !== 0) throw new Error(`validate.sh exited ${validation.status}:\n${validation.out}`);
    expect(validation.out).toContain('compose ok');
    expect(validation.out).toContain('dockerfile ok');
    expect(validation.out).toContain('all checks passed');
  });

  it.each(Object.entries(EXPECTED))('renders %s with %i objects, all validated or named custom resources', (o, n) => {
    const overlay = o as Overlay;
    expect(validation.out).toContain(`rendered ${overlay}: ${n} objects`);
    expect(objects(overlay)).toHaveLength(n);
    // Only the operators' kinds may skip schema validation: 6 services × 4 + RabbitmqCluster + Vhost.
    const crs = objects(overlay).filter(
      (x) => !/^(v1|apps\/v1|policy\/v1|autoscaling\/v2|networking\.k8s\.io\/v1)$/.test(x.apiVersion),
    );
    expect(crs).toHaveLength(NAMES.length * 4 + 2);
    expect(validation.out).toMatch(
      new RegExp(
        `${n} resources found in 1 file - Valid: ${n - crs.length}, Invalid: 0, Errors: 0, Skipped: ${crs.length}`,
      ),
    );
    expect(objects(overlay).every((x) => x.kind === 'Namespace' || x.metadata.namespace === 'aftersales')).toBe(true);
  });
});

describe.each(['dev', 'prod'] as Overlay[])('the %s overlay', (overlay) => {
  it.each(NAMES)('runs %s hardened, probed, bounded and wired to its own secrets', (name) => {
    const svc = SERVICES[name];
    const deployment = find(overlay, 'Deployment', name);
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBeUndefined(); // the HPA owns it
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(overlay, 'ServiceAccount', pod.serviceAccountName).automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers).toHaveLength(1);
    const [c] = pod.containers;
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.image).toBe(
      overlay === 'dev' ? `aftersales/${name}:dev` : `registry.example.com/aftersales/${name}:0.1.0`,
    );
    expect(c.ports.find((p: any) => p.name === 'http').containerPort).toBe(svc.port);
    expect(c.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(svc.port),
      'prometheus.io/path': '/metrics',
    });

    // Every ConfigMap and Secret it reads exists in the render (hash suffixes rewritten), or is made by an operator.
    const refs = [
      ...c.envFrom.map((e: any) => e.configMapRef?.name ?? e.secretRef?.name),
      ...c.env.filter((e: any) => e.valueFrom).map((e: any) => e.valueFrom.secretKeyRef.name),
      ...pod.volumes.filter((v: any) => v.configMap).map((v: any) => v.configMap.name),
    ];
    const operatorMade = [`${name}-mongodb-connection`, `${name}-rabbitmq-user-credentials`];
    for (const ref of refs) {
      if (operatorMade.includes(ref)) continue;
      expect(
        objects(overlay).some((x) => (x.kind === 'ConfigMap' || x.kind === 'Secret') && x.metadata.name === ref),
      ).toBe(true);
    }
    const config = objects(overlay).find(
      (x) => x.kind === 'ConfigMap' && x.metadata.name.startsWith(`${name}-config-`),
    );
    expect(config?.data).toMatchObject({ PORT: String(svc.port), MONGO_DB: svc.db });
    if (svc.grpc) expect(config?.data?.GRPC_PORT).toBe(String(svc.grpc));
    expect(c.env.find((e: any) => e.name === 'AMQP_URL').value).toBe(
      'amqp://$(AMQP_USERNAME):$(AMQP_PASSWORD)@rabbitmq:5672/aftersales',
    );
    const devSecret = c.envFrom.some((e: any) => e.secretRef?.name?.startsWith('aftersales-auth-dev'));
    expect(devSecret).toBe(overlay === 'dev');

    expect(find(overlay, 'PodDisruptionBudget', name).spec.selector.matchLabels).toEqual(
      deployment.spec.selector.matchLabels,
    );
    const hpa = find(overlay, 'HorizontalPodAutoscaler', name).spec;
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(hpa.minReplicas).toBe(overlay === 'dev' ? 1 : 3);

    // Its own MongoDB replica set with one least-privilege user; its own RabbitMQ user.
    const mongo = find(overlay, 'MongoDBCommunity', `${name}-mongodb`).spec;
    expect(mongo.members).toBe(overlay === 'dev' ? 1 : 3);
    expect(mongo.users).toEqual([
      expect.objectContaining({
        name,
        passwordSecretRef: { name: `${name}-mongodb-password`, key: 'password' },
        roles: [{ name: 'readWrite', db: svc.db }],
        connectionStringSecretName: `${name}-mongodb-connection`,
      }),
    ]);
    const permission = find(overlay, 'Permission', `${name}-rabbitmq`).spec;
    expect(permission.userReference.name).toBe(find(overlay, 'User', `${name}-rabbitmq`).metadata.name);
    expect(permission.vhost).toBe('aftersales');
    const configure = new RegExp(permission.permissions.configure);
    expect(configure.test(`${name}.events`)).toBe(true);
    expect(configure.test(`${name}.retry.1000ms`)).toBe(true);
    for (const other of NAMES.filter((n) => n !== name)) expect(configure.test(`${other}.events`)).toBe(false);
  });

  it('denies all traffic by default and opens only what each service needs', () => {
    const deny = find(overlay, 'NetworkPolicy', 'default-deny-all').spec;
    expect(deny).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const billing = find(overlay, 'NetworkPolicy', 'billing').spec;
    const grpcFrom = billing.ingress.find((r: any) => r.ports.some((p: any) => p.port === 'grpc'));
    expect(grpcFrom.from.map((f: any) => f.podSelector.matchLabels['app.kubernetes.io/name']).sort()).toEqual([
      'call-intake',
      'dispatch',
    ]);
    for (const name of NAMES) {
      const policy = find(overlay, 'NetworkPolicy', name).spec;
      const egressTo = policy.egress.flatMap((r: any) => r.to.map((t: any) => t.podSelector.matchLabels));
      const expected: Record<string, string>[] = [
        { app: `${name}-mongodb-svc` },
        { 'app.kubernetes.io/name': 'rabbitmq' },
      ];
      if (name === 'call-intake' || name === 'dispatch') expected.push({ 'app.kubernetes.io/name': 'billing' });
      expect(egressTo).toEqual(expected);
      const mongo = find(overlay, 'NetworkPolicy', `${name}-mongodb`).spec;
      expect(mongo.ingress[0].from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
    }
  });

  it('keeps secret values out of production and runs RabbitMQ as a cluster', () => {
    const secrets = objects(overlay)
      .filter((x) => x.kind === 'Secret')
      .map((x) => x.metadata.name);
    if (overlay === 'prod') expect(secrets).toEqual([]);
    else expect(secrets.filter((s) => !s.startsWith('aftersales-auth-dev-'))).toHaveLength(NAMES.length);
    expect(find(overlay, 'RabbitmqCluster', 'rabbitmq').spec.replicas).toBe(overlay === 'dev' ? 1 : 3);
    const hosts = find(overlay, 'Ingress', 'aftersales').spec.rules.map((r: any) => r.host);
    const domain = overlay === 'dev' ? 'aftersales.localtest.me' : 'aftersales.example.com';
    expect(hosts).toEqual(NAMES.map((n) => `${n}.${domain}`));
  });
});

describe('the validators reject broken input', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftersales-broken-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.writeFileSync(path.join(dir, file), text);
    return path.join(dir, file);
  };

  it('kubeconform: a misspelt field, a wrong type and a removed API version', () => {
    const good = write(
      'good.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\nspec:\n  ports:\n    - port: 80\n      targetPort: http\n',
    );
    expect(run(['kubeconform', good]).status).toBe(0);

    const bad = write(
      'bad.yaml',
      [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: typo\nspec:\n  replicas: "two"\n  selector: {}\n',
        '  template:\n    spec:\n      containers:\n        - name: app\n          imagee: nginx\n---\n',
        'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\n',
      ].join(''),
    );
    const r = run(['kubeconform', bad]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/additional properties 'imagee' not allowed/);
    expect(r.out).toMatch(/\/spec\/replicas': got string/);
    expect(r.out).toMatch(/Ingress old .*could not find schema/);
  });

  it('compose: an unknown service attribute', () => {
    const file = write('docker-compose.yml', 'services:\n  app:\n    image: nginx:1.27\n    portz:\n      - 80:80\n');
    const r = run(['compose', file]);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/portz/);
  });

  it('Dockerfile lint: root user, an untagged base and ADD', () => {
    const file = write('Dockerfile', 'FROM node\nADD . /app\nUSER root\nCMD node main.js\n');
    const r = run(['dockerfile', file]);
    expect(r.status).not.toBe(0);
    for (const code of ['DL3006', 'DL3020', 'DL3002', 'DL3025']) expect(r.out).toContain(code);
  });
});
