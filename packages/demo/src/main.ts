// Placeholder until the onboarding flow lands: shows which models this build serves.
const statusLine = document.querySelector("#status");

interface Manifest {
  models: { id: string; version: string; bytes: number; licence: string }[];
}

async function showModels(): Promise<void> {
  const response = await fetch("/manifest.json");
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const manifest = (await response.json()) as Manifest;
  const list = document.createElement("ul");
  for (const model of manifest.models) {
    const item = document.createElement("li");
    item.textContent = `${model.id} ${model.version} (${model.bytes} bytes, ${model.licence})`;
    list.append(item);
  }
  if (statusLine)
    statusLine.textContent = "The onboarding flow is coming; this build serves these models:";
  statusLine?.after(list);
}

showModels().catch((err: unknown) => {
  if (statusLine) statusLine.textContent = `The models could not be read: ${String(err)}`;
});
