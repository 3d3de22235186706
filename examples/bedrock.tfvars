# A Bedrock environment's terraform.tfvars (azure-simple), as Bedrock's Flux v1 module took it.
#   FLUX_GITOPS_CONFIG=examples/bedrock.tfvars npm run synth
# main.ts prints what each variable became, and which have no Flux v2 equivalent.
cluster_name         = "bedrock-simple"
agent_vm_count       = "3"
dns_prefix           = "bedrock-simple"
enable_flux          = "true"
flux_recreate        = ""
gitops_ssh_url       = "git@ssh.dev.azure.com:v3/contoso/fabrikam/cluster-manifests"
gitops_ssh_key_path  = "/home/ops/.ssh/gitops-ssh-key"
gitops_path          = "prod"
gitops_poll_interval = "5m"
gitops_label         = "flux-sync"
gitops_url_branch    = "master"
gc_enabled           = "true"
acr_enabled          = "true"
flux_image_repository = "docker.io/fluxcd/flux"
flux_image_tag       = "1.18.0"
kubeconfig_filename  = "bedrock_kube_config"
