/** Shared with the constructs (OCIRepository ref.semver): the one check lives in flux/formats. */
export { isSemverRange } from '../flux/formats';
