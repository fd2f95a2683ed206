/** Images attached to a chat message, read into data URLs (what Chat Completions' image_url parts carry). */
export interface ImageAttachment {
  id: string;
  name: string;
  size: number;
  dataUrl: string;
}

// Bedrock's own limits for images in a Converse message; the server's providers may take less.
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const MAX_IMAGE_BYTES = 3_750_000;
export const MAX_IMAGES = 20;

let counter = 0;

/** Reads the files that pass the checks; each refused file gets a message saying why. */
export async function readImages(files: FileList | File[], already: number): Promise<{ images: ImageAttachment[]; problems: string[] }> {
  const images: ImageAttachment[] = [];
  const problems: string[] = [];
  for (const f of Array.from(files)) {
    if (!IMAGE_TYPES.includes(f.type)) {
      problems.push(`${f.name}: only PNG, JPEG, GIF and WebP images can be attached.`);
      continue;
    }
    if (f.size > MAX_IMAGE_BYTES) {
      problems.push(`${f.name}: ${(f.size / 1e6).toFixed(1)} MB is over the ${MAX_IMAGE_BYTES / 1e6} MB limit for one image; scale it down first.`);
      continue;
    }
    if (already + images.length >= MAX_IMAGES) {
      problems.push(`${f.name}: at most ${MAX_IMAGES} images per message.`);
      continue;
    }
    const dataUrl = await new Promise<string>((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.onerror = () => reject(r.error);
      r.readAsDataURL(f);
    }).catch(() => undefined);
    if (!dataUrl) {
      problems.push(`${f.name}: the file could not be read.`);
      continue;
    }
    images.push({ id: `img-${++counter}`, name: f.name, size: f.size, dataUrl });
  }
  return { images, problems };
}
