"""Amazon Personalize as Pulumi resources."""
