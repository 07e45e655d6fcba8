// Fetches a text file next to the page (src/app.rs: fetch_text); rejects with why it failed.
export async function fetch_text(url) {
  const resp = await fetch(url);
  if (!resp.ok) throw `${url}: HTTP ${resp.status}`;
  return resp.text();
}
