// The original libraries ship no types; the interop tests use them untyped.
declare module 'redfour' {
  const Lock: new (options: Record<string, unknown>) => any;
  export = Lock;
}
declare module 'ioredfour' {
  const Lock: new (options: Record<string, unknown>) => any;
  export = Lock;
}
