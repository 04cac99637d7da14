// Validates every Kubernetes manifest in a folder, as kubeconform --strict would (neither kubeconform nor kubeval is
// packaged by Debian or npm):
// 1. against the JSON schemas of the Kubernetes API (kubernetes-models: ajv validators generated from the Kubernetes
//    OpenAPI document), which check types, required fields, enums and formats;
// 2. for fields those schemas let through because the OpenAPI document does not forbid extra properties: every key
//    must be a field of its type, from the generated models of the official client (@kubernetes/client-node), so a
//    misspelt `readinesProbe` fails instead of being dropped by the API server.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import * as client from "@kubernetes/client-node";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node kubernetes.mjs FOLDER");
  process.exit(2);
}

/** kubernetes-models/apps/v1 for apps/v1, kubernetes-models/v1 for the core group's v1. */
async function schemaModel(apiVersion, kind) {
  const module = await import(`kubernetes-models/${apiVersion}/${kind}`).catch(() => null);
  return module?.[kind];
}

/** V1Deployment for apps/v1 Deployment, V2HorizontalPodAutoscaler for autoscaling/v2. */
function clientModel(apiVersion, kind) {
  const version = apiVersion.split("/").pop();
  return client[version[0].toUpperCase() + version.slice(1) + kind];
}

/** Keys that are no field of their type, walking the client's attribute maps. */
function unknownFields(value, type, path, found) {
  if (value === null || value === undefined) return found;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1], `${path}[${i}]`, found));
    return found;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${path}.${k}`, found);
    return found;
  }
  const model = client[type];
  if (typeof model?.getAttributeTypeMap !== "function" || typeof value !== "object") return found;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!fields.has(k)) found.push(`${path}.${k}: no such field of ${type}`);
    else unknownFields(v, fields.get(k), `${path}.${k}`, found);
  }
  return found;
}

let failures = 0;
let checked = 0;
for (const file of readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const documents = parseAllDocuments(readFileSync(join(folder, file), "utf8"));
  for (const [index, document] of documents.entries()) {
    const where = `${file}#${index + 1}`;
    const problems = [...document.errors.map((e) => e.message), ...document.warnings.map((w) => w.message)];
    const manifest = document.toJS();
    if (problems.length === 0) {
      const { apiVersion, kind } = manifest ?? {};
      const SchemaModel = apiVersion && kind ? await schemaModel(apiVersion, kind) : undefined;
      const type = apiVersion && kind ? clientModel(apiVersion, kind) : undefined;
      if (!SchemaModel || !type) problems.push(`unknown apiVersion/kind: ${apiVersion}/${kind}`);
      else {
        try {
          new SchemaModel(manifest).validate();
        } catch (e) {
          problems.push(e.message);
        }
        problems.push(...unknownFields(manifest, type.name, kind, []));
        if (!manifest.metadata?.name) problems.push("metadata.name is required");
      }
    }
    checked++;
    if (problems.length > 0) {
      failures++;
      console.error(`${where}: invalid\n  ${problems.join("\n  ")}`);
    } else console.log(`${where}: ${manifest.apiVersion} ${manifest.kind} ${manifest.metadata.name}: valid`);
  }
}
console.log(`${checked} manifest(s), ${failures} invalid`);
process.exit(failures > 0 || checked === 0 ? 1 : 0);
