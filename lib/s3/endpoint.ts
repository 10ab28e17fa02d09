/** Where a bucket is and how to sign for it, as settings give it; nothing here loads the AWS SDK. */

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3Endpoint {
  /** `https://garage.example.org`; undefined means AWS itself. */
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  /** Undefined: the SDK's default chain (environment, profiles). */
  credentials?: S3Credentials;
}

/** The endpoint as fleuron shows it: without any user name or password written into the URL. */
export function displayEndpoint(endpoint: string | undefined): string {
  if (endpoint === undefined) return 'AWS S3';
  try {
    const url = new URL(endpoint);
    if (!url.username && !url.password) return endpoint;
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, endpoint.endsWith('/') ? '/' : '');
  } catch {
    return endpoint.replace(/\/\/[^/@]*@/, '//');
  }
}
