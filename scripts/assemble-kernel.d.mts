/** Path of the kernel's WebAssembly text source. */
export const KERNEL_WAT: string;
/** Path of the generated TypeScript module that carries the assembled bytes. */
export const KERNEL_GENERATED: string;
/** The module's bytes, assembled from kernel.wat with wabt. */
export function assembleKernel(file?: string): Promise<Uint8Array<ArrayBuffer>>;
/** The TypeScript source of the generated module for these bytes. */
export function generatedSource(bytes: Uint8Array): string;
